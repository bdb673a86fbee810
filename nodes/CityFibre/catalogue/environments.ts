/** CityFibre's environments (reference §2.4). The sandbox serves the same path layout. */
export const ENVIRONMENTS = {
	production: { name: 'Production', baseUrl: 'https://api-gw.cityfibre.com:41223/prod/api2' },
	cfStaging: { name: 'CFStaging (pre-production)', baseUrl: 'https://api-gw.cityfibre.com:41223/cfstaging/api2' },
	cfSit: { name: 'CFSit (integration test)', baseUrl: 'https://api-gw.cityfibre.com:41223/cfsit/api2' },
	docsMock: { name: 'CityFibre Docs Mock', baseUrl: 'https://ticketing.docs.cityfibre.com/_mock/openapi' },
	sandbox: { name: 'Local Sandbox', baseUrl: 'https://127.0.0.1:41223/cfsit/api2' },
} as const;

export type EnvironmentKey = keyof typeof ENVIRONMENTS | 'custom';

/** Path prefixes of the gateway's environments, served by the sandbox as well as at its root. */
export const GATEWAY_PATH_PREFIXES = ['/prod/api2', '/cfstaging/api2', '/cfsit/api2'] as const;

/** The interface version we send unless the credential says otherwise (diagram "v1.1") [INF]. */
export const DEFAULT_API_VERSION = '1.1';

/** The seller identifier of the ALA-style appointment messages [DOC]. */
export const SELLER_IDENTIFIER = 'CITYFIBRE';
