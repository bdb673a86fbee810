import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationUi } from '../catalogueFields';
import type { ItemContext } from '../operation';
import { describeOperation, sendOperation } from '../operation';

/** requestFaultReportUpdate: CityFibre acknowledges, and sends the ticket's state as a notification. */
export const ui: OperationUi = { operation: 'requestFaultReportUpdate' };

export const description = describeOperation(ui, { resource: 'faultReport', operation: 'requestUpdate' });

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject> {
	return await sendOperation.call(this, itemIndex, ui, context);
}
