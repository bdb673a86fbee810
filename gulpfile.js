// Copies what tsc does not: node icons, codex files and the example workflows.
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

function copyExamples() {
	return src('examples/**/*.json', { base: '.' }).pipe(dest('dist'));
}

exports.build = parallel(copyIcons, copyExamples);
exports.default = exports.build;
