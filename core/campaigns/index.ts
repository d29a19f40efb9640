export * from './channels';
export * from './consent';
export * from './content';
export * from './segments';
export * from './status';
export * from './lifecycle';
export * from './audience';
export * from './opt-out';
