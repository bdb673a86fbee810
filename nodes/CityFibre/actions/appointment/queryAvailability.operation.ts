import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationUi } from '../catalogueFields';
import type { ItemContext } from '../operation';
import { describeOperation, sendOperation } from '../operation';

/** queryAppointmentAvailability: the slots come back as one list on the item (`appointmentSlots`). */
export const ui: OperationUi = { operation: 'queryAppointmentAvailability' };

export const description = describeOperation(ui, { resource: 'appointment', operation: 'queryAvailability' });

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject> {
	return await sendOperation.call(this, itemIndex, ui, context);
}
