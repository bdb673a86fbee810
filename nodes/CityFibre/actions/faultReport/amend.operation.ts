import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationUi } from '../catalogueFields';
import type { ItemContext } from '../operation';
import { describeOperation, sendOperation } from '../operation';

/** amendFaultReport: the ticket's references, then only what changed. */
export const ui: OperationUi = { operation: 'amendFaultReport', promote: ['maintainerFaultReference'] };

export const description = describeOperation(ui, { resource: 'faultReport', operation: 'amend' });

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject> {
	return await sendOperation.call(this, itemIndex, ui, context);
}
