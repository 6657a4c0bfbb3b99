export * from './actions.js';
export * from './check.js';
export * from './guide.js';
export * from './kafka.js';
export * from './lab.js';
export * from './protocol.js';
export * from './topology.js';
export * from './validate.js';
