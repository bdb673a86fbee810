/** The SOAP codec: pure functions from values to XML and back, with safety limits and validation. */
export * from './errors';
export * from './scan';
export * from './reader';
export * from './writer';
export * from './validate';
export * from './autoValues';
