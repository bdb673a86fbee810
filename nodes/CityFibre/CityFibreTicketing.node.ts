import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { versionDescription } from './actions/versionDescription';
import { router } from './actions/router';
import { credentialTest } from './methods/credentialTest';

/**
 * CityFibre's Ticketing API for the Buyer: fault reports, appointments and service diagnostics.
 * Fields come from the message catalogue (./catalogue); each operation lives in ./actions.
 */
export class CityFibreTicketing implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
