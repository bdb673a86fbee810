/**
 * The editor's "Test" button for the CityFibre credential (n8n's `testedBy` pattern): wire it into
 * the node as `methods: { credentialTest }` and list the credential with
 * `testedBy: CREDENTIAL_TEST_NAME`. It checks the certificate locally, then makes a real
 * mutual-TLS request to the selected environment, and answers in plain words.
 */
import type { ICredentialTestFunction, ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialsFromN8n, testConnection } from '../transport';

export const CREDENTIAL_TEST_NAME = 'cityFibreTicketingApiTest';

export async function cityFibreTicketingApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const outcome = await testConnection(credentialsFromN8n(credential.data ?? {}, credential.id));
	return { status: outcome.ok ? 'OK' : 'Error', message: outcome.message };
}

export const credentialTest: Record<string, ICredentialTestFunction> = { [CREDENTIAL_TEST_NAME]: cityFibreTicketingApiTest };
