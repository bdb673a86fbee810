import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationUi } from '../catalogueFields';
import type { ItemContext } from '../operation';
import { describeOperation, sendOperation } from '../operation';

/**
 * resolveResponse with resolveAccepted = false: the ticket re-opens. The catalogue's rule
 * "rejecting needs a reason" makes Rejected Reason a required field here.
 */
export const ui: OperationUi = {
	operation: 'resolveResponse',
	fixed: { resolveAccepted: false },
	promote: ['maintainerFaultReference'],
};

export const description = describeOperation(ui, { resource: 'faultReport', operation: 'rejectResolution' });

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject> {
	return await sendOperation.call(this, itemIndex, ui, context);
}
