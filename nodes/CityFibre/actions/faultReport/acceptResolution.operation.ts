import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationUi } from '../catalogueFields';
import type { ItemContext } from '../operation';
import { describeOperation, sendOperation } from '../operation';

/** resolveResponse with resolveAccepted = true: the ticket closes. A rejection reason has no place here. */
export const ui: OperationUi = {
	operation: 'resolveResponse',
	fixed: { resolveAccepted: true },
	omit: ['rejectedReason'],
	promote: ['maintainerFaultReference'],
};

export const description = describeOperation(ui, { resource: 'faultReport', operation: 'acceptResolution' });

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject> {
	return await sendOperation.call(this, itemIndex, ui, context);
}
