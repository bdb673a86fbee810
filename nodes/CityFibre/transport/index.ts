/**
 * The transport: the only code that touches TLS and sockets. The action node calls
 * `callCityFibre`; the credential test calls `testConnection`.
 */
export type { CityFibreCredentials, CityFibreEnvironment } from './credentials';
export { credentialsFromN8n, resolveBaseUrl, operationUrl, BaseUrlError, DEFAULT_TIMEOUT_SECONDS } from './credentials';
export { callCityFibre } from './call';
export type { CallOptions } from './call';
export type { CityFibreResult } from './classify';
export { classifyAnswer, textOf } from './classify';
export { CityFibreError, translateConnectionError } from './errors';
export type { CityFibreErrorKind, CityFibreErrorFields, Translation } from './errors';
export type { ConnectionOutcome } from './outcomes';
export { OUTCOME_HINTS } from './outcomes';
export { testConnection } from './connectionTest';
export type { ConnectionTestResult } from './connectionTest';
export { agentFor, dropAgent, closeAllAgents, agentPoolStats, FREE_SOCKET_TIMEOUT_MS } from './agents';
export { proxyFor, bypassesProxy } from './proxy';
export { normalisePem, pemBlocks, decodeBase64Bundle } from './pem';
export { tlsMaterialOf, prepareTls, materialFingerprint, TlsMaterialError } from './tlsMaterial';
export type { TlsMaterial, CertificateSummary } from './tlsMaterial';
export { isRetryable, shouldRetry, backoffDelay, DEFAULT_RETRY_POLICY } from './retry';
export type { AttemptFailure, RetryPolicy } from './retry';
