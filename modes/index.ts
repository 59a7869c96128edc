/** The pure model: estate schema, mode state, resolve(). No CDK or Pulumi imports here. */
export * from './errors';
export * from './schema';
export * from './load';
export * from './state';
export * from './resolve';
export * from './time';
