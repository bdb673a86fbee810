import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationUi } from '../catalogueFields';
import type { ItemContext } from '../operation';
import { describeOperation, sendOperation } from '../operation';

/**
 * addFaultReport. The buyerFaultReference is generated when left empty, and reported in the
 * output. The hints say where the earlier steps of a Raise put what it needs.
 */
export const ui: OperationUi = {
	operation: 'addFaultReport',
	generate: ['buyerFaultReference'],
	hints: {
		'faultDetails.triageComplete': 'After Service Diagnostics › Run, map {{ $json.triageComplete }}.',
		'faultDetails.triageFindings': 'After Service Diagnostics › Run, map {{ $json.triageFindings }}.',
		'appointment.appointmentReservationKey': 'After Appointment › Reserve, map {{ $json.appointmentReservationKey }}.',
	},
};

export const description = describeOperation(ui, { resource: 'faultReport', operation: 'raise' });

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject> {
	return await sendOperation.call(this, itemIndex, ui, context);
}
