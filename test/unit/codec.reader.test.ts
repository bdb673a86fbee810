import { addFaultReportResponse, notifyFaultReportUpdate, requestFaultReportUpdate } from '../../nodes/CityFibre/catalogue';
import { readMessage } from '../../nodes/CityFibre/codec';
import { SOAP11_NS, SOAP12_NS, envelope } from '../support/hostileDocuments';

const updateRequest =
	'<requestFaultReportUpdate><apiVersion>1.1</apiVersion><buyerIdentifier>SPDEV1</buyerIdentifier>' +
	'<sentAt>2025-06-03T07:00:00Z</sentAt><messageId>000123</messageId>' +
	'<maintainerFaultReference>CF-REF-0001</maintainerFaultReference><buyerFaultReference>ISP-FLT-100234</buyerFaultReference>' +
	'</requestFaultReportUpdate>';

const updateRequestBody = {
	apiVersion: '1.1',
	buyerIdentifier: 'SPDEV1',
	sentAt: '2025-06-03T07:00:00Z',
	messageId: '000123',
	maintainerFaultReference: 'CF-REF-0001',
	buyerFaultReference: 'ISP-FLT-100234',
};

function notification(inner: string): string {
	return envelope(`<notifyFaultReportUpdate>${inner}</notifyFaultReportUpdate>`);
}

function statusOf(inner: string) {
	const read = readMessage(notification(`<faultDetails>${inner}</faultDetails>`));
	return { status: (read.body.faultDetails as Record<string, unknown>).status, originals: read.originals };
}

describe('readMessage: envelopes', () => {
	it.each([
		['soap:', envelope(updateRequest, 'soap', SOAP11_NS), '1.1'],
		['SOAP-ENV:', envelope(updateRequest, 'SOAP-ENV', SOAP11_NS), '1.1'],
		['s:', envelope(updateRequest, 's', SOAP11_NS), '1.1'],
		['env: (SOAP 1.2)', envelope(updateRequest, 'env', SOAP12_NS), '1.2'],
		['soap12: (SOAP 1.2)', envelope(updateRequest, 'soap12', SOAP12_NS), '1.2'],
		['a default namespace (SOAP 1.1)', `<Envelope xmlns="${SOAP11_NS}"><Body>${updateRequest}</Body></Envelope>`, '1.1'],
		['a default namespace (SOAP 1.2)', `<Envelope xmlns="${SOAP12_NS}"><Body>${updateRequest}</Body></Envelope>`, '1.2'],
	])('reads an envelope with %s', (_, xml, version) => {
		const read = readMessage(xml);

		expect(read.soapVersion).toBe(version);
		expect(read.name).toBe('requestFaultReportUpdate');
		expect(read.definition).toBe(requestFaultReportUpdate);
		expect(read.body).toEqual(updateRequestBody);
	});

	it('reads a bare message element without an envelope (soapVersion null)', () => {
		const read = readMessage(updateRequest);

		expect(read.soapVersion).toBeNull();
		expect(read.body).toEqual(updateRequestBody);
	});

	it('finds the body element by its local name, whatever its prefix and namespace', () => {
		const xml = envelope(
			'<cf:requestFaultReportUpdate xmlns:cf="urn:cityfibre:ticketing"><cf:messageId>M-1</cf:messageId></cf:requestFaultReportUpdate>',
		);

		const read = readMessage(xml);

		expect(read.name).toBe('requestFaultReportUpdate');
		expect(read.definition).toBe(requestFaultReportUpdate);
		expect(read.body).toEqual({ messageId: 'M-1' });
	});

	it('skips a SOAP Header and reads the Body', () => {
		const xml = `<soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Header><trace>abc</trace></soap:Header><soap:Body>${updateRequest}</soap:Body></soap:Envelope>`;

		expect(readMessage(xml).body).toEqual(updateRequestBody);
	});

	it('reads a Buffer as UTF-8, like a string', () => {
		const xml = notification('<reporterContactDetails><name>Zoë Ørsted</name></reporterContactDetails>');

		expect(readMessage(Buffer.from(xml, 'utf8')).body).toEqual({ reporterContactDetails: { name: 'Zoë Ørsted' } });
	});

	it('reads an empty body element as an empty object', () => {
		expect(readMessage(envelope('<requestFaultReportUpdateResponse/>')).body).toEqual({});
	});

	it('reads an undocumented element name with the definition it is told to use', () => {
		const read = readMessage(envelope('<faultReportAck><status>PENDING</status></faultReportAck>'), {
			definition: addFaultReportResponse,
		});

		expect(read.name).toBe('faultReportAck');
		expect(read.definition).toBe(addFaultReportResponse);
		expect(read.body).toEqual({ status: 'Pending' });
	});
});

describe('readMessage: values', () => {
	it('keeps values as strings: 000123 stays 000123, 1e3 stays 1e3', () => {
		const read = readMessage(notification('<messageId>000123</messageId><serviceAffected>1e3</serviceAffected>'));

		expect(read.body).toEqual({ messageId: '000123', serviceAffected: '1e3' });
	});

	it('keeps an integer field such as responseCode as the string sent', () => {
		expect(readMessage(envelope('<receivedNotifyFaultReportUpdate><responseCode>0200</responseCode></receivedNotifyFaultReportUpdate>')).body).toEqual({
			responseCode: '0200',
		});
	});

	it('trims the layout whitespace around a value and keeps the line breaks inside it', () => {
		const read = readMessage(notification('<faultDetails><faultLocation>\n  500 Avebury Boulevard,\nMilton Keynes\n</faultLocation></faultDetails>'));

		expect(read.body).toEqual({ faultDetails: { faultLocation: '500 Avebury Boulevard,\nMilton Keynes' } });
	});

	it("expands XML's predefined entities and numeric character references", () => {
		const read = readMessage(notification('<serviceAffected>&lt;A&amp;B&gt; &quot;&apos; &#65;&#x42; &#x1F600;</serviceAffected>'));

		expect(read.body.serviceAffected).toBe(`<A&B> "' AB 😀`);
	});

	it('expands references once: &amp;#65; is the text &#65;', () => {
		expect(readMessage(notification('<serviceAffected>&amp;#65;&amp;lt;</serviceAffected>')).body.serviceAffected).toBe('&#65;&lt;');
	});

	it('leaves any other entity reference as literal text rather than expanding it', () => {
		expect(readMessage(notification('<serviceAffected>&nbsp;&copy;&custom;</serviceAffected>')).body.serviceAffected).toBe(
			'&nbsp;&copy;&custom;',
		);
	});

	it('reads CDATA as literal text', () => {
		expect(readMessage(notification('<serviceAffected><![CDATA[<b>&amp;</b>]]></serviceAffected>')).body.serviceAffected).toBe(
			'<b>&amp;</b>',
		);
	});

	it.each([
		['true', true],
		['TRUE', true],
		['True', true],
		['1', true],
		['false', false],
		['FALSE', false],
		['0', false],
	])('reads the boolean field triageComplete "%s" as %s', (text, value) => {
		const read = readMessage(notification(`<faultDetails><triageComplete>${text}</triageComplete></faultDetails>`));

		expect(read.body.faultDetails).toEqual({ triageComplete: value });
	});

	it('keeps a boolean field that is neither true nor false as the text sent', () => {
		const read = readMessage(notification('<appointments><appointment><appointmentCancelled>maybe</appointmentCancelled></appointment></appointments>'));

		expect(read.body.appointments).toEqual([{ appointmentCancelled: 'maybe' }]);
	});

	it('leaves "true" as text in a field the catalogue does not call boolean', () => {
		expect(readMessage(notification('<serviceAffected>true</serviceAffected>')).body.serviceAffected).toBe('true');
	});
});

describe('readMessage: lists', () => {
	it('reads one update as a list of one', () => {
		const read = readMessage(notification('<updates><update><description>Engineer assigned</description></update></updates>'));

		expect(read.body.updates).toEqual([{ description: 'Engineer assigned' }]);
	});

	it('reads several updates as a list, in document order', () => {
		const read = readMessage(
			notification('<updates><update><description>first</description></update><update><description>second</description></update></updates>'),
		);

		expect(read.body.updates).toEqual([{ description: 'first' }, { description: 'second' }]);
	});

	it('reads an empty list wrapper as an empty list', () => {
		expect(readMessage(notification('<appointments/>')).body.appointments).toEqual([]);
	});

	it('reads an empty item as an empty object', () => {
		expect(readMessage(notification('<updates><update/></updates>')).body.updates).toEqual([{}]);
	});

	it('reads prefixed list items', () => {
		const xml = envelope(
			'<ns1:notifyFaultReportUpdate xmlns:ns1="urn:cf"><ns1:updates><ns1:update><ns1:updatedBy>NOC</ns1:updatedBy></ns1:update>' +
				'<ns1:update><ns1:updatedBy>buyer</ns1:updatedBy></ns1:update></ns1:updates></ns1:notifyFaultReportUpdate>',
		);

		expect(readMessage(xml).body.updates).toEqual([{ updatedBy: 'NOC' }, { updatedBy: 'buyer' }]);
	});

	it('gathers the items of a repeated list wrapper into one list', () => {
		const read = readMessage(
			notification(
				'<appointments><appointment><appointmentDate>2025-06-03</appointmentDate></appointment></appointments>' +
					'<appointments><appointment><appointmentDate>2025-06-04</appointmentDate></appointment></appointments>',
			),
		);

		expect(read.body.appointments).toEqual([{ appointmentDate: '2025-06-03' }, { appointmentDate: '2025-06-04' }]);
	});

	it('normalises booleans inside list items', () => {
		const read = readMessage(notification('<appointments><appointment><appointmentCancelled>true</appointmentCancelled></appointment></appointments>'));

		expect(read.body.appointments).toEqual([{ appointmentCancelled: true }]);
	});
});

describe('readMessage: unknown elements are kept', () => {
	it('keeps an unknown element at the top level', () => {
		expect(readMessage(notification('<messageId>CF-1</messageId><priority>P1</priority>')).body).toEqual({
			messageId: 'CF-1',
			priority: 'P1',
		});
	});

	it('keeps an unknown element inside a known group', () => {
		const read = readMessage(notification('<faultDetails><type>Service Outage</type><missedAppointmentReason>No access</missedAppointmentReason></faultDetails>'));

		expect(read.body.faultDetails).toEqual({ type: 'Service Outage', missedAppointmentReason: 'No access' });
	});

	it('keeps an unknown element inside a list item', () => {
		const read = readMessage(notification('<updates><update><description>note</description><channel>portal</channel></update></updates>'));

		expect(read.body.updates).toEqual([{ description: 'note', channel: 'portal' }]);
	});

	it('keeps an unknown element beside the items of a list wrapper, the items under their own name', () => {
		const read = readMessage(notification('<updates><update><description>note</description></update><count>1</count></updates>'));

		expect(read.body.updates).toEqual({ update: [{ description: 'note' }], count: '1' });
	});

	it('keeps an unknown nested structure and repeated unknown elements', () => {
		const read = readMessage(notification('<escalation><level>2</level><contact>a</contact><contact>b</contact></escalation>'));

		expect(read.body.escalation).toEqual({ level: '2', contact: ['a', 'b'] });
	});

	it('keeps unknown body elements, with no definition', () => {
		const read = readMessage(envelope('<notifyTicketMerged><mergedInto>CF-9</mergedInto></notifyTicketMerged>'));

		expect(read.name).toBe('notifyTicketMerged');
		expect(read.definition).toBeUndefined();
		expect(read.body).toEqual({ mergedInto: 'CF-9' });
	});

	it('drops namespace declarations and xsi: attributes, which are not data', () => {
		const read = readMessage(
			'<notifyFaultReportUpdate xmlns="urn:cf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="../faultReport.xsd"><messageId>CF-1</messageId></notifyFaultReportUpdate>',
		);

		expect(read.body).toEqual({ messageId: 'CF-1' });
	});
});

describe('readMessage: statuses', () => {
	it.each(['in-progress', 'In Progress', 'IN_PROGRESS', 'inprogress', ' in progress '])(
		'reads the status "%s" as In Progress and records the original spelling',
		(spelling) => {
			expect(statusOf(`<status>${spelling}</status>`)).toEqual({
				status: 'In Progress',
				originals: { 'faultDetails.status': spelling.trim() },
			});
		},
	);

	it.each([
		['on-hold', 'On Hold'],
		['REOPENED', 'Re-Opened'],
		['re_opened', 'Re-Opened'],
		['closed', 'Closed'],
		['PENDING', 'Pending'],
	])('reads the status "%s" as %s', (spelling, canonical) => {
		expect(statusOf(`<status>${spelling}</status>`).status).toBe(canonical);
	});

	it('keeps a status it does not know as sent, with no original recorded', () => {
		expect(statusOf('<status>Awaiting Parts</status>')).toEqual({ status: 'Awaiting Parts', originals: {} });
	});

	it('normalises the top-level status of a response too', () => {
		const read = readMessage(envelope('<addFaultReportResponse><status>rejected</status></addFaultReportResponse>'));

		expect(read.body.status).toBe('Rejected');
		expect(read.originals).toEqual({ status: 'rejected' });
	});
});

describe('readMessage: faults', () => {
	it('recognises a SOAP 1.1 soap:Fault', () => {
		const read = readMessage(
			envelope('<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Invalid request</faultstring><detail>buyerFaultReference missing</detail></soap:Fault>'),
		);

		expect(read.name).toBe('Fault');
		expect(read.fault).toEqual({ form: 'soap', code: 'soap:Client', message: 'Invalid request', detail: 'buyerFaultReference missing' });
	});

	it('reads a faultstring with an xml:lang attribute as its text', () => {
		const read = readMessage(envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring xml:lang="en">Down</faultstring></soap:Fault>'));

		expect(read.fault).toEqual({ form: 'soap', code: 'soap:Server', message: 'Down', detail: undefined });
	});

	it('recognises a SOAP 1.2 env:Fault, taking the first Reason text', () => {
		const xml = envelope(
			'<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text xml:lang="en">Backend unavailable</env:Text>' +
				'<env:Text xml:lang="cy">Nid yw ar gael</env:Text></env:Reason><env:Detail><retryAfter>60</retryAfter></env:Detail></env:Fault>',
			'env',
			SOAP12_NS,
		);

		const read = readMessage(xml);

		expect(read.soapVersion).toBe('1.2');
		expect(read.fault).toEqual({ form: 'soap', code: 'env:Receiver', message: 'Backend unavailable', detail: '{"retryAfter":"60"}' });
	});

	it("recognises CityFibre's fault{faultcode, faultmessage, detail} inside an envelope", () => {
		const read = readMessage(
			envelope('<fault><faultcode>401</faultcode><faultmessage>Unauthorised</faultmessage><detail>Client certificate not registered for buyer SPDEV1</detail></fault>'),
		);

		expect(read.fault).toEqual({
			form: 'cityfibre',
			code: '401',
			message: 'Unauthorised',
			detail: 'Client certificate not registered for buyer SPDEV1',
		});
	});

	it("recognises CityFibre's fault as a bare element, detail being optional", () => {
		expect(readMessage('<fault><faultcode>500</faultcode><faultmessage>Internal error</faultmessage></fault>').fault).toEqual({
			form: 'cityfibre',
			code: '500',
			message: 'Internal error',
			detail: undefined,
		});
	});

	it("takes CityFibre's code and message from a fault carried inside a SOAP Fault's detail", () => {
		const read = readMessage(
			envelope(
				'<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Refused</faultstring>' +
					'<detail><fault><faultcode>403</faultcode><faultmessage>Forbidden</faultmessage><detail>Buyer not entitled</detail></fault></detail></soap:Fault>',
			),
		);

		expect(read.fault).toEqual({ form: 'soap', code: '403', message: 'Forbidden', detail: 'Buyer not entitled' });
	});

	it('reports no fault for an ordinary message', () => {
		expect(readMessage(envelope(updateRequest)).fault).toBeUndefined();
	});
});

describe('readMessage: cfh items given as attributes', () => {
	it('reads cfh:resellerId on <buyer> as a field of buyer', () => {
		const xml = envelope(
			'<queryAppointmentAvailability xmlns:cfh="http://www.cityfibre.com/ala/ext1"><buyer cfh:resellerId="BAQ">' +
				'<buyerIdentifier>SPDEV1</buyerIdentifier></buyer></queryAppointmentAvailability>',
		);

		expect(readMessage(xml).body).toEqual({ buyer: { buyerIdentifier: 'SPDEV1', resellerId: 'BAQ' } });
	});

	it('reads cfh attributes on the body element as top-level fields', () => {
		const xml = envelope(
			'<reserveAppointment xmlns:cfh="http://www.cityfibre.com/ala/ext1" cfh:productName="ftthl2r" cfh:addressKey="123456789012">' +
				'<appointmentType>REPAIR</appointmentType></reserveAppointment>',
		);

		expect(readMessage(xml).body).toEqual({ appointmentType: 'REPAIR', productName: 'ftthl2r', addressKey: '123456789012' });
	});

	it('prefers the element when a field arrives both as element and attribute', () => {
		const xml = envelope(
			'<queryAppointmentAvailability xmlns:cfh="http://www.cityfibre.com/ala/ext1" cfh:productName="fromAttribute">' +
				'<cfh:productName>fromElement</cfh:productName></queryAppointmentAvailability>',
		);

		expect(readMessage(xml).body).toEqual({ productName: 'fromElement' });
	});
});

describe('readMessage: repairs', () => {
	it('reads a closing tag that does not match its opening tag, and records the repair', () => {
		const read = readMessage('<receivedNotifyFaultReportUpdate><responseCode>200</responseCode></receivedRequestFaultReportUpdate>');

		expect(read.body).toEqual({ responseCode: '200' });
		expect(read.repairs).toEqual(['closing tag </receivedRequestFaultReportUpdate> read as </receivedNotifyFaultReportUpdate>']);
	});

	it('records nothing when nothing was mended', () => {
		expect(readMessage(envelope(updateRequest)).repairs).toEqual([]);
	});

	it('reads the notification definition for notifyFaultReportUpdate', () => {
		expect(readMessage(notification('')).definition).toBe(notifyFaultReportUpdate);
	});
});
