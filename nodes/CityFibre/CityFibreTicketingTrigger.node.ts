import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { handleWebhook, triggerDescription } from './trigger';

/**
 * Receives CityFibre's `notifyFaultReportUpdate` notifications, answers each with the SOAP
 * acknowledgement CityFibre expects, and starts the workflow for the events the user chose.
 * The pieces live in ./trigger: read → classify → acknowledge → summarise.
 */
export class CityFibreTicketingTrigger implements INodeType {
	description: INodeTypeDescription = triggerDescription;

	// CityFibre registers the callback URL at onboarding, by hand: there is nothing to create or
	// delete at their end, so n8n only needs to be told the webhook is in place.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleWebhook(this);
	}
}
