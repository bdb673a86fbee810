import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CityFibreTicketingApi } from '../../credentials/CityFibreTicketingApi.credentials';
import { CityFibreTicketingTrigger } from '../../nodes/CityFibre/CityFibreTicketingTrigger.node';

const ROOT = join(__dirname, '..', '..');
const README_URL = 'https://github.com/n8n-nodes-cityfibre/n8n-nodes-cityfibre#';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
	return heading
		.toLowerCase()
		.replace(/[^a-z0-9 _-]/g, '')
		.replace(/ /g, '-');
}

const readmeAnchors = readFileSync(join(ROOT, 'README.md'), 'utf8')
	.split('\n')
	.filter((line) => /^#{1,6} /.test(line))
	.map((line) => anchorOf(line.replace(/^#+ /, '')));

function codexLinks(file: string): string[] {
	const codex = JSON.parse(readFileSync(join(ROOT, 'nodes', 'CityFibre', file), 'utf8'));
	return Object.values(codex.resources as Record<string, Array<{ url: string }>>)
		.flat()
		.map((resource) => resource.url);
}

const links = [
	...codexLinks('CityFibreTicketing.node.json'),
	...codexLinks('CityFibreTicketingTrigger.node.json'),
	new CityFibreTicketingApi().documentationUrl,
	new CityFibreTicketingTrigger().description.documentationUrl as string,
].filter((url) => url.startsWith(README_URL));

describe('documentation links into the README', () => {
	it('cover both nodes and the credential', () => {
		expect(links.length).toBeGreaterThanOrEqual(5);
	});

	it.each(links)('%s points at a README heading', (url) => {
		expect(readmeAnchors).toContain(url.slice(README_URL.length));
	});
});
