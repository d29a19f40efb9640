export * from './api-keys';
export * from './conversations';
export * from './cursor';
export * from './flows';
export * from './knowledge';
export * from './messages';
export * from './tenants';
