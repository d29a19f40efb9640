/** The console's design system. Tokens live in tokens.css; import components from here only. */
import './tokens.css';
import './ui.css';

export { Button, type ButtonProps } from './Button';
export { Field, Input, Textarea, Select, Checkbox, type FieldProps, type SelectProps, type CheckboxProps } from './Field';
export { Badge, Spinner, EmptyState, Panel, type Tone, type PanelProps } from './misc';
export { Table, actionsColumn, type Column, type TableProps } from './Table';
export { Dialog, ConfirmDialog, type DialogProps, type ConfirmDialogProps } from './Dialog';
export { FormDialog, FormError, type FormDialogProps } from './FormDialog';
export { Toasts, useToast, type ToastApi } from './Toasts';
export { Tabs, type TabItem, type TabsProps } from './Tabs';
