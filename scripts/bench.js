// @ts-check
/**
 * Codec and transport benchmarks on the built package (`npm run bench` builds first).
 *
 * Every figure is a RATIO against a baseline measured in the same run, on the same machine, with
 * the same input, so results compare across machines:
 *   - writing a message      vs JSON.stringify of the same values
 *   - reading a notification vs a bare fast-xml-parser parse of the same document
 *   - refusing a hostile doc vs reading a normal notification (plus the absolute time, which must
 *                               stay well under a second, and what a bare parser does with it)
 *   - validating a message   vs JSON.stringify of the same values
 *   - connection reuse       TRANSPORT_CALLS sequential requestServiceDiagnostics through
 *                               callCityFibre on its pooled keep-alive agent vs the same calls with
 *                               the pool retired after each call (a new agent and TLS connection per
 *                               call, as n8n's request helpers do), over mutual TLS to an in-process
 *                               sandbox on 127.0.0.1; with the sandbox's handshake count of each side
 * Subject and baseline run in alternating rounds; each figure is the median round.
 *
 * Results: a table on stdout and JSON in bench/results/ (gitignored). Exit code 1 when a hostile
 * document is not refused with its own error, or its refusal takes a second or more, or when the
 * connection-reuse measurement cannot run at all (its figures themselves never fail the run).
 */
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const ts = require('typescript');
const { XMLParser } = require('fast-xml-parser');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
/** The claim the hostile rows must back: refused "well under a second". */
const REFUSAL_BUDGET_MS = 1000;
const ROUNDS = 7;
const ROUND_MS = 40;
/** Connection reuse: calls per round, rounds per side (after one warm-up round of TRANSPORT_WARMUP_CALLS each). */
const TRANSPORT_CALLS = 100;
const TRANSPORT_ROUNDS = 3;
const TRANSPORT_WARMUP_CALLS = 10;

const codec = require(path.join(ROOT, 'dist/nodes/CityFibre/codec'));
const catalogue = require(path.join(ROOT, 'dist/nodes/CityFibre/catalogue'));

/**
 * The tests' sample values and hostile documents, so the benchmark measures exactly what the
 * tests specify. Those files only import types, so transpiling them is enough to run them.
 * @param {string} relative
 */
function loadTypeScript(relative) {
	const file = path.join(ROOT, relative);
	const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
		fileName: file,
	});
	const loaded = new Module(file);
	loaded.filename = file;
	// @ts-expect-error Module#_compile is internal but stable: it is how require() runs a file.
	loaded._compile(outputText, file);
	return loaded.exports;
}

const { sampleValues } = loadTypeScript('test/support/sampleValues.ts');
const hostile = loadTypeScript('test/support/hostileDocuments.ts');

// --- measuring -------------------------------------------------------------------------------------

/**
 * Microseconds per call of one round: calls `fn` until ROUND_MS have passed (at least once).
 * @param {() => unknown} fn
 */
function round(fn) {
	let calls = 0;
	const start = performance.now();
	let elapsed = 0;
	do {
		fn();
		calls++;
		elapsed = performance.now() - start;
	} while (elapsed < ROUND_MS);
	return (elapsed * 1000) / calls;
}

/** @param {number[]} values */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Subject and baseline in alternating rounds, after one warm-up round each.
 * @param {() => unknown} subject
 * @param {() => unknown} baseline
 */
function compare(subject, baseline) {
	round(subject);
	round(baseline);
	const s = [];
	const b = [];
	for (let i = 0; i < ROUNDS; i++) {
		s.push(round(subject));
		b.push(round(baseline));
	}
	const subjectUs = median(s);
	const baselineUs = median(b);
	return { subjectUs, baselineUs, ratio: subjectUs / baselineUs };
}

/**
 * The error `fn` throws, or undefined.
 * @param {() => unknown} fn
 */
function errorOf(fn) {
	try {
		fn();
	} catch (error) {
		return error;
	}
	return undefined;
}

/** @param {unknown} error */
function describeError(error) {
	if (!(error instanceof Error)) return 'accepted';
	const e = /** @type {Error & {limit?: string, problem?: string}} */ (error);
	return `${e.name}${e.limit ? ` limit=${e.limit}` : ''}${e.problem ? ` problem=${e.problem}` : ''}`;
}

// --- inputs ----------------------------------------------------------------------------------------

const excerptNotification = fs.readFileSync(path.join(ROOT, 'test/fixtures/excerpt/notifyAppointmentCancelled.xml'), 'utf8');
const normalNotification = hostile.envelope(excerptNotification.replace(/^<notifyFaultReportUpdate[^>]*>/, '<notifyFaultReportUpdate>'));
const fullNotification = codec.writeMessage(
	catalogue.notifyFaultReportUpdate,
	sampleValues(catalogue.notifyFaultReportUpdate),
);
const bareParser = new XMLParser();

/** @type {Array<Record<string, unknown>>} */
const rows = [];
let failed = false;

// --- writing ---------------------------------------------------------------------------------------

const written = catalogue.MESSAGES.filter(
	(/** @type {{role: string}} */ m) => m.role === 'request' || m.role === 'acknowledgement',
);
for (const definition of written) {
	const values = sampleValues(definition);
	const r = compare(
		() => codec.writeMessage(definition, values),
		() => JSON.stringify(values),
	);
	rows.push({ group: 'write', case: definition.name, baseline: 'JSON.stringify', ...r });
}

// --- reading ---------------------------------------------------------------------------------------

for (const [name, xml] of [
	['excerpt notification (cancelled)', normalNotification],
	['notification, every field', fullNotification],
]) {
	const r = compare(
		() => codec.readMessage(xml),
		() => bareParser.parse(xml),
	);
	rows.push({ group: 'read', case: name, baseline: 'bare fast-xml-parser', ...r });
}

// --- refusing hostile documents ---------------------------------------------------------------------

/** @type {Array<[name: string, build: () => string | Buffer, expected: string, bareParserSkipped?: string]>} */
const hostileCases = [
	['DOCTYPE', hostile.doctype, 'XmlSafetyError limit=doctype'],
	['billion-laughs entity bomb', hostile.entityBomb, 'XmlSafetyError limit=entity'],
	['external entity (XXE)', hostile.externalEntity, 'XmlSafetyError limit=entity'],
	['50 MB document (string)', hostile.oversized, 'XmlSafetyError limit=size'],
	['50 MB document (Buffer)', () => Buffer.from(hostile.oversized()), 'XmlSafetyError limit=size', 'as the string'],
	['10,000-deep nesting', hostile.deepNesting, 'XmlSafetyError limit=depth'],
	['20,000 elements', hostile.manyElements, 'XmlSafetyError limit=elements'],
	['wrong envelope namespace', hostile.wrongEnvelopeNamespace, 'XmlFormatError problem=envelope'],
	['envelope without Body', hostile.envelopeWithoutBody, 'XmlFormatError problem=envelope'],
	['two body elements', hostile.twoBodyElements, 'XmlFormatError problem=body'],
	['not XML at all', hostile.notXml, 'XmlFormatError problem=malformed'],
	['unclosed tag', hostile.unclosedTag, 'XmlFormatError problem=malformed'],
];

for (const [name, build, expected, bareParserSkipped] of hostileCases) {
	const doc = build();
	const got = describeError(errorOf(() => codec.readMessage(doc)));
	// One unguarded parse shows what the guard spares the process (the 50 MB one takes seconds).
	let bareParserOutcome = bareParserSkipped ?? '';
	if (!bareParserSkipped) {
		const bareStart = performance.now();
		const bare = describeError(errorOf(() => bareParser.parse(doc)));
		bareParserOutcome = `${bare === 'accepted' ? 'parsed' : 'threw'} in ${formatMs(performance.now() - bareStart)}`;
	}
	const r = compare(
		() => errorOf(() => codec.readMessage(doc)),
		() => codec.readMessage(normalNotification),
	);
	const refusalMs = r.subjectUs / 1000;
	const ok = got === expected && refusalMs < REFUSAL_BUDGET_MS;
	if (!ok) failed = true;
	rows.push({
		group: 'refuse',
		case: name,
		baseline: 'reading a normal notification',
		...r,
		error: got,
		expected,
		refusalMs,
		withinBudget: refusalMs < REFUSAL_BUDGET_MS,
		bareParser: bareParserOutcome,
		ok,
	});
}

// --- validating ------------------------------------------------------------------------------------

for (const definition of written) {
	const values = sampleValues(definition);
	const r = compare(
		() => codec.validationIssues(definition, values),
		() => JSON.stringify(values),
	);
	rows.push({ group: 'validate', case: definition.name, baseline: 'JSON.stringify', ...r });
}

// --- report ----------------------------------------------------------------------------------------

/** @param {number} ms */
function formatMs(ms) {
	return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

/** @param {number} us */
function formatUs(us) {
	return formatMs(us / 1000);
}

/** @param {number} ratio */
function formatRatio(ratio) {
	return ratio >= 100 ? `${ratio.toFixed(0)}×` : ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

/**
 * @param {string[]} header
 * @param {string[][]} body
 */
function table(header, body) {
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
	const line = (/** @type {string[]} */ cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const sections = [
	['Writing a message (vs JSON.stringify of the same values)', 'write'],
	['Reading a notification (vs a bare fast-xml-parser parse of the same document)', 'read'],
	['Validating a message (vs JSON.stringify of the same values)', 'validate'],
];
for (const [title, group] of sections) {
	console.log(`\n${title}`);
	console.log(
		table(
			['message', 'codec', 'baseline', 'ratio'],
			rows
				.filter((r) => r.group === group)
				.map((r) => [String(r.case), formatUs(Number(r.subjectUs)), formatUs(Number(r.baselineUs)), formatRatio(Number(r.ratio))]),
		),
	);
}

console.log(`\nRefusing hostile documents (vs reading a normal notification, ${formatUs(Number(rows.find((r) => r.group === 'refuse')?.baselineUs))})`);
console.log(
	table(
		['document', 'refused in', 'ratio', `< ${REFUSAL_BUDGET_MS / 1000} s`, 'error', 'a bare parser instead'],
		rows
			.filter((r) => r.group === 'refuse')
			.map((r) => [
				String(r.case),
				formatMs(Number(r.refusalMs)),
				formatRatio(Number(r.ratio)),
				r.withinBudget ? 'yes' : 'NO',
				r.error === r.expected ? String(r.error) : `${r.error} (expected ${r.expected})`,
				String(r.bareParser),
			]),
	),
);

// --- connection reuse --------------------------------------------------------------------------------

/**
 * @typedef {{ handshakes: number, resumedSessions: number, requests: number }} SandboxCounters
 * @typedef {{ us: number, callsPerSecond: number, handshakes: number, resumedSessions: number, requests: number }} TransportRound
 */

/**
 * Issue 4's claim that connections are reused ("a workflow that raises 1,000 tickets does not pay
 * 1,000 TLS handshakes"). Both sides run the package's real path, callCityFibre, against an
 * in-process sandbox on 127.0.0.1 over mutual TLS, with a read-only call that creates nothing. The
 * baseline retires the agent pool (closeAllAgents) after every call, so each call builds a new
 * agent and opens a new TLS connection, as n8n's request helpers do. Every round starts with an
 * empty pool; the sandbox counts each round's handshakes and requests.
 */
async function measureConnectionReuse() {
	const { startSandbox } = require(path.join(ROOT, 'dist/sandbox'));
	const transport = require(path.join(ROOT, 'dist/nodes/CityFibre/transport'));
	// The sandbox makes its certificates on first start: this run's own, removed at the end.
	const certsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityfibre-bench-certs-'));
	/** @type {{ baseUrl: string, certs: any, control: { stats(): SandboxCounters }, close(): Promise<void> } | undefined} */
	let sandbox;
	try {
		sandbox = await startSandbox({ certsDir, host: '127.0.0.1', port: 0, autoProgress: false, seed: 1 });
		const sb = /** @type {NonNullable<typeof sandbox>} */ (sandbox);
		// As test/support/badCerts.ts sandboxCredentials builds them.
		const credentials = {
			environment: 'sandbox',
			baseUrl: sb.baseUrl,
			buyerIdentifier: 'SPDEV1',
			certificateFormat: 'pem',
			certificate: sb.certs.buyer.cert,
			privateKey: sb.certs.buyer.key,
			caBundle: sb.certs.ca.cert,
		};
		const diagnostics = { serviceId: 'SERVICE-0001' };

		async function call() {
			const result = await transport.callCityFibre(credentials, 'requestServiceDiagnostics', diagnostics);
			// A retry would open another connection and skew both the time and the handshake count.
			if (result.httpStatus !== 200 || result.attempts !== 1) {
				throw new Error(`requestServiceDiagnostics answered HTTP ${result.httpStatus} after ${result.attempts} attempt(s)`);
			}
		}

		/**
		 * @param {boolean} fresh a new agent (and TLS connection) per call
		 * @param {number} calls
		 * @returns {Promise<TransportRound>}
		 */
		async function transportRound(fresh, calls) {
			transport.closeAllAgents();
			const before = sb.control.stats();
			const start = performance.now();
			for (let i = 0; i < calls; i++) {
				await call();
				if (fresh) transport.closeAllAgents();
			}
			const ms = performance.now() - start;
			const after = sb.control.stats();
			return {
				us: (ms * 1000) / calls,
				callsPerSecond: (calls * 1000) / ms,
				handshakes: after.handshakes - before.handshakes,
				resumedSessions: after.resumedSessions - before.resumedSessions,
				requests: after.requests - before.requests,
			};
		}

		await transportRound(false, TRANSPORT_WARMUP_CALLS);
		await transportRound(true, TRANSPORT_WARMUP_CALLS);
		/** @type {TransportRound[]} */
		const pooled = [];
		/** @type {TransportRound[]} */
		const fresh = [];
		for (let i = 0; i < TRANSPORT_ROUNDS; i++) {
			pooled.push(await transportRound(false, TRANSPORT_CALLS));
			fresh.push(await transportRound(true, TRANSPORT_CALLS));
		}
		const subjectUs = median(pooled.map((r) => r.us));
		const baselineUs = median(fresh.map((r) => r.us));
		const asClaimed =
			pooled.every((r) => r.handshakes === 1 && r.requests === TRANSPORT_CALLS) &&
			fresh.every((r) => r.handshakes === TRANSPORT_CALLS && r.requests === TRANSPORT_CALLS);
		rows.push({
			group: 'transport',
			case: `${TRANSPORT_CALLS} sequential requestServiceDiagnostics through callCityFibre`,
			baseline: 'the same calls with the agent pool retired (closeAllAgents) after each call: a new agent and TLS connection per call',
			subjectUs,
			baselineUs,
			ratio: subjectUs / baselineUs,
			subjectCallsPerSecond: 1e6 / subjectUs,
			baselineCallsPerSecond: 1e6 / baselineUs,
			speedup: baselineUs / subjectUs,
			asClaimed,
			subjectRounds: pooled,
			baselineRounds: fresh,
		});
	} finally {
		transport.closeAllAgents();
		await sandbox?.close();
		fs.rmSync(certsDir, { recursive: true, force: true });
	}
}

/**
 * One figure per round, or one figure when every round agrees.
 * @param {TransportRound[]} rounds
 * @param {'handshakes' | 'resumedSessions' | 'requests'} key
 */
function perRound(rounds, key) {
	const values = rounds.map((r) => r[key]);
	return values.every((v) => v === values[0]) ? `${values[0]} (every round)` : values.join(', ');
}

function printConnectionReuse() {
	const row = rows.find((r) => r.group === 'transport');
	if (!row) return;
	const pooled = /** @type {TransportRound[]} */ (row.subjectRounds);
	const fresh = /** @type {TransportRound[]} */ (row.baselineRounds);
	console.log(
		`\nConnection reuse (issue 4): ${TRANSPORT_CALLS} sequential requestServiceDiagnostics through callCityFibre over mutual TLS to an in-process sandbox,\n` +
			'pooled keep-alive agent vs the same calls with the agent pool retired (closeAllAgents) after each call, i.e. a new agent and\n' +
			`TLS connection per call as n8n's request helpers make; median of ${TRANSPORT_ROUNDS} rounds, handshakes and requests counted by the sandbox`,
	);
	console.log(
		table(
			['side', 'calls/s', 'per call', 'ratio (calls/s)', 'TLS handshakes per round', 'resumed', 'requests per round'],
			[
				[
					'pooled keep-alive agent',
					Number(row.subjectCallsPerSecond).toFixed(0),
					formatUs(Number(row.subjectUs)),
					formatRatio(Number(row.speedup)),
					perRound(pooled, 'handshakes'),
					perRound(pooled, 'resumedSessions'),
					perRound(pooled, 'requests'),
				],
				[
					'new TLS connection per call',
					Number(row.baselineCallsPerSecond).toFixed(0),
					formatUs(Number(row.baselineUs)),
					formatRatio(1),
					perRound(fresh, 'handshakes'),
					perRound(fresh, 'resumedSessions'),
					perRound(fresh, 'requests'),
				],
			],
		),
	);
	console.log(
		row.asClaimed
			? `As claimed: the pooled side paid 1 handshake per ${TRANSPORT_CALLS} calls, the baseline one per call.`
			: `NOT as claimed: expected 1 handshake per round pooled and ${TRANSPORT_CALLS} per round fresh, each with ${TRANSPORT_CALLS} requests.`,
	);
}

function gitCommit() {
	try {
		return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
	} catch {
		return 'unknown';
	}
}

/** The JSON report: every row, the method, and where and what it ran on. */
function saveResults() {
	const stamp = new Date().toISOString();
	const report = {
		date: stamp,
		commit: gitCommit(),
		node: process.version,
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cores: os.cpus().length,
		method: {
			rounds: ROUNDS,
			roundMs: ROUND_MS,
			statistic: 'median microseconds per call',
			refusalBudgetMs: REFUSAL_BUDGET_MS,
			transport: { callsPerRound: TRANSPORT_CALLS, rounds: TRANSPORT_ROUNDS, warmUpCalls: TRANSPORT_WARMUP_CALLS, statistic: 'median round' },
		},
		rows,
	};
	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	const file = path.join(RESULTS_DIR, `bench-${stamp.replace(/[:.]/g, '-')}.json`);
	fs.writeFileSync(file, `${JSON.stringify(report, null, '\t')}\n`);
	fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, '\t')}\n`);
	console.log(`\nResults: ${path.relative(ROOT, file)} (and bench/results/latest.json)`);

	if (failed) {
		console.error('\nFAILED: a hostile document was not refused with its own error within the budget.');
		process.exitCode = 1;
	}
}

/** @type {unknown} */
let connectionReuseError;
measureConnectionReuse()
	.catch((error) => {
		connectionReuseError = error;
	})
	.then(() => {
		printConnectionReuse();
		saveResults();
		if (connectionReuseError) {
			console.error('\nFAILED: the connection-reuse benchmark could not run:', connectionReuseError);
			process.exitCode = 1;
		}
	});
