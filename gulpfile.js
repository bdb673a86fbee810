// Copies what tsc does not: node icons, codex files and the example workflows.
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

// Codex files (`*.node.json`) tell n8n's node panel the categories and documentation links.
function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

function copyExamples() {
	return src('examples/**/*.json', { base: '.' }).pipe(dest('dist'));
}

exports.build = parallel(copyIcons, copyCodex, copyExamples);
exports.default = exports.build;
