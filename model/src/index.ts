export * from './kafka.js';
export * from './protocol.js';
