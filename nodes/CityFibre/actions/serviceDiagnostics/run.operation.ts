import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../catalogue';
import type { CityFibreResult } from '../../transport';
import type { OperationUi } from '../catalogueFields';
import type { ItemContext } from '../operation';
import { describeOperation, sendOperation } from '../operation';
import { triageFindings } from './triage';

/** requestServiceDiagnostics: synchronous; the results can feed straight into a Raise. */
export const ui: OperationUi = { operation: 'requestServiceDiagnostics' };

/**
 * The addFaultReport fields a diagnostics run fills in. The output uses their element names,
 * which are also the Raise's field names, so mapping is `{{ $json.triageFindings }}`.
 */
const FOR_RAISE = {
	triageComplete: 'faultDetails.triageComplete',
	triageFindings: 'faultDetails.triageFindings',
	serviceAffected: 'serviceAffected',
} as const;

const keyOf = (path: string) => path.split('.').pop() as string;

const triageOption: INodeProperties = {
	displayName: 'Add Triage Findings for Raise',
	name: 'triageForRaise',
	type: 'boolean',
	default: true,
	description: `Whether to add ${Object.values(FOR_RAISE).map(keyOf).join(', ')} to the output, named like the fields of Fault Report > Raise so a following Raise can map them`,
};

export const description = describeOperation(ui, { resource: 'serviceDiagnostics', operation: 'run' }, { options: [triageOption] });

/** The service the run was for: the request's one field of its own. */
function serviceOf(result: CityFibreResult): string | undefined {
	const field = OPERATIONS.requestServiceDiagnostics.request.fields.find((f) => f.kind === 'leaf' && !f.auto);
	const value = field ? result.request[field.name] : undefined;
	return typeof value === 'string' ? value : undefined;
}

function addTriage(json: IDataObject, result: CityFibreResult, options: IDataObject): void {
	if (options.triageForRaise === false) return;
	json[keyOf(FOR_RAISE.triageComplete)] = true;
	json[keyOf(FOR_RAISE.triageFindings)] = triageFindings(result.response.body);
	json[keyOf(FOR_RAISE.serviceAffected)] = serviceOf(result);
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject> {
	return await sendOperation.call(this, itemIndex, ui, context, { shape: addTriage });
}
