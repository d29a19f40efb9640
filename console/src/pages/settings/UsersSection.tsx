/** Users of the workspace (admins): create with a role, change role, disable or enable, delete. */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { userList, userSchema } from '../../../../core/api/admin';
import { api } from '../../api/client';
import { useAuth, type Role } from '../../app/auth';
import { Badge, Button, Field, FormDialog, Input, Select, Table, actionsColumn, useToast } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit, useToastAction } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { useQuery } from '../shared/useQuery';

type User = z.infer<typeof userSchema>;

export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'Viewer: reads everything' },
  { value: 'agent', label: 'Agent: answers the inbox' },
  { value: 'builder', label: 'Builder: flows, knowledge, runs' },
  { value: 'marketer', label: 'Marketer: contacts, campaigns (approval by an approver)' },
  { value: 'approver', label: 'Approver: marketer who approves campaigns' },
  { value: 'admin', label: 'Admin: everything' },
];
const SHORT_ROLE = ROLE_OPTIONS.map((o) => ({ value: o.value, label: o.value }));

export function UsersSection() {
  const { user: me } = useAuth();
  const toast = useToast();
  const users = useQuery(async () => (await api.get<z.infer<typeof userList>>('/v1/users')).items, []);
  const [creating, setCreating] = useState(false);
  const [phoneOf, setPhoneOf] = useState<User | null>(null);
  const action = useToastAction();
  const busyId = action.pending;

  const patch = (u: User, body: Partial<Pick<User, 'role' | 'disabled'>>, done: string) =>
    action.run(u.id, async () => {
      const updated = await api.patch<User>(`/v1/users/${u.id}`, body);
      users.setData((list = []) => list.map((x) => (x.id === u.id ? updated : x)));
      toast.success(done);
    });

  const remove = useConfirmAction<User>({
    title: 'Delete this user?',
    message: (u) => `${u.email} can no longer sign in; their open sessions end.`,
    confirmLabel: 'Delete user',
    action,
    keyOf: (u) => u.id,
    run: async (u) => {
      await api.del(`/v1/users/${u.id}`);
      users.setData((list = []) => list.filter((x) => x.id !== u.id));
      toast.success(`Deleted ${u.email}`);
    },
  });

  return (
    <div className="pg-col">
      <div className="pg-row pg-row-between">
        <p className="pg-muted">People who sign in to this console. Roles decide what they may change.</p>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Add user
        </Button>
      </div>
      <QueryStatus query={users} loadingLabel="Loading users">
        {(data = []) => (
          <Table
            caption="Users"
            rows={data}
            rowKey={(u) => u.id}
            columns={[
              { key: 'name', header: 'Name', render: (u) => `${u.name}${u.id === me?.id ? ' (you)' : ''}` },
              { key: 'email', header: 'Email' },
              {
                key: 'role',
                header: 'Role',
                render: (u) => (
                  <Select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={u.id === me?.id || busyId === u.id}
                    options={SHORT_ROLE}
                    onChange={(e) => void patch(u, { role: e.target.value as Role }, `${u.email} is now ${e.target.value}`)}
                  />
                ),
              },
              {
                key: 'phone',
                header: 'Phone',
                render: (u) => (
                  <Button size="sm" variant="ghost" aria-label={`Phone of ${u.email}`} onClick={() => setPhoneOf(u)}>
                    {u.phone ?? 'Set phone'}
                  </Button>
                ),
              },
              { key: 'status', header: 'Status', render: (u) => (u.disabled ? <Badge tone="warning">disabled</Badge> : <Badge tone="success">active</Badge>) },
              { key: 'lastLoginAt', header: 'Last sign-in', render: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'never') },
              actionsColumn(
                (u: User) =>
                  u.id !== me?.id && (
                    <div className="pg-row pg-row-end">
                      <Button size="sm" disabled={busyId === u.id} onClick={() => void patch(u, { disabled: !u.disabled }, `${u.email} ${u.disabled ? 'enabled' : 'disabled'}`)}>
                        {u.disabled ? 'Enable' : 'Disable'}
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => remove.ask(u)} aria-label={`Delete ${u.email}`}>
                        Delete
                      </Button>
                    </div>
                  ),
              ),
            ]}
          />
        )}
      </QueryStatus>
      <CreateUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(u) => {
          users.setData((list = []) => [...list, u]);
          setCreating(false);
        }}
      />
      <PhoneDialog
        user={phoneOf}
        onClose={() => setPhoneOf(null)}
        onSaved={(u) => {
          users.setData((list = []) => list.map((x) => (x.id === u.id ? u : x)));
          setPhoneOf(null);
        }}
      />
      {remove.dialog}
    </div>
  );
}

/** A user's phone: where calls they take over ring; agents with one ring on a transfer to the human agents. */
function PhoneDialog({ user, onClose, onSaved }: { user: User | null; onClose: () => void; onSaved: (u: User) => void }) {
  const toast = useToast();
  const [phone, setPhone] = useState('');
  useEffect(() => setPhone(user?.phone ?? ''), [user]);
  const { submit, busy, errors, fieldError } = useSubmit(['phone'], async () => {
    const updated = await api.patch<User>(`/v1/users/${user!.id}`, { phone: phone.trim() || null });
    toast.success(updated.phone ? `${updated.email}: calls ring ${updated.phone}` : `${updated.email} has no phone`);
    onSaved(updated);
  });
  return (
    <FormDialog title="Phone" open={user !== null} onClose={onClose} onSubmit={() => void submit()} submitLabel="Save phone" busy={busy} error={errors.form}>
      <Field label="Phone number" help="E.164, such as +4930123456. Calls this user takes over from the inbox ring here; agents with a phone ring when a flow transfers a call to the human agents. Empty removes it." error={fieldError('phone')}>
        <Input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoFocus autoComplete="off" />
      </Field>
    </FormDialog>
  );
}

function CreateUserDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (u: User) => void }) {
  const toast = useToast();
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as Role, password: '' });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const { submit, busy, errors, fieldError } = useSubmit(
    ['email', 'name', 'role', 'password'],
    async () => {
      const user = await api.post<User>('/v1/users', { ...form, email: form.email.trim(), name: form.name.trim() });
      toast.success(`Added ${user.email} as ${user.role}`);
      setForm({ email: '', name: '', role: 'agent', password: '' });
      onCreated(user);
    },
    { validate: () => (form.password.length < 10 ? ['password', 'At least 10 characters.'] : null) },
  );

  return (
    <FormDialog title="Add user" open={open} onClose={onClose} onSubmit={() => void submit()} submitLabel="Add user" busy={busy} error={errors.form}>
      <Field label="Email" error={fieldError('email')}>
        <Input type="email" value={form.email} onChange={set('email')} autoFocus autoComplete="off" />
      </Field>
      <Field label="Name" error={fieldError('name')}>
        <Input value={form.name} onChange={set('name')} autoComplete="off" />
      </Field>
      <Field label="Role" error={fieldError('role')}>
        <Select value={form.role} onChange={set('role')} options={ROLE_OPTIONS} />
      </Field>
      <Field label="Initial password" help="At least 10 characters; share it privately." error={fieldError('password')}>
        <Input type="password" value={form.password} onChange={set('password')} autoComplete="new-password" />
      </Field>
    </FormDialog>
  );
}
