// @ts-check
/**
 * Codec benchmarks on the built package (`npm run bench` builds first).
 *
 * Every figure is a RATIO against a baseline measured in the same run, on the same machine, with
 * the same input, so results compare across machines:
 *   - writing a message      vs JSON.stringify of the same values
 *   - reading a notification vs a bare fast-xml-parser parse of the same document
 *   - refusing a hostile doc vs reading a normal notification (plus the absolute time, which must
 *                               stay well under a second, and what a bare parser does with it)
 *   - validating a message   vs JSON.stringify of the same values
 * Subject and baseline run in alternating rounds; each figure is the median round.
 *
 * Results: a table on stdout and JSON in bench/results/ (gitignored). Exit code 1 when a hostile
 * document is not refused with its own error, or its refusal takes a second or more.
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

function gitCommit() {
	try {
		return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
	} catch {
		return 'unknown';
	}
}

const stamp = new Date().toISOString();
const report = {
	date: stamp,
	commit: gitCommit(),
	node: process.version,
	cpu: os.cpus()[0]?.model ?? 'unknown',
	cores: os.cpus().length,
	method: { rounds: ROUNDS, roundMs: ROUND_MS, statistic: 'median microseconds per call', refusalBudgetMs: REFUSAL_BUDGET_MS },
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
