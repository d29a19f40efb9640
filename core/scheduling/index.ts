export * from './types';
export * from './time';
export * from './engine';
export * from './recurrence';
export * from './parse';
export * from './format';
