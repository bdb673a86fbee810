import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationUi } from '../catalogueFields';
import type { ItemContext } from '../operation';
import { describeOperation, sendOperation } from '../operation';

/** reserveAppointment: holds a slot and returns the appointmentReservationKey a Service Outage Raise needs. */
export const ui: OperationUi = { operation: 'reserveAppointment' };

export const description = describeOperation(ui, { resource: 'appointment', operation: 'reserve' });

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject> {
	return await sendOperation.call(this, itemIndex, ui, context);
}
