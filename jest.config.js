// Three projects: `unit` is the seconds-long inner loop (pure functions, mocked n8n contexts),
// `wire` talks to the local sandbox over real mutual TLS, `e2e` drives real n8n servers.
// Transpile only (tsconfig's isolatedModules): type errors are `npm run typecheck`'s and the build's job.
const tsJest = ['ts-jest', { diagnostics: false }];
const common = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...common, displayName: 'wire', testMatch: ['<rootDir>/test/wire/**/*.test.ts'] },
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			// Packs the build once and installs the n8n lines (minutes on a new machine, with
			// progress) before any test; the teardown stops whatever a test left running.
			globalSetup: '<rootDir>/test/e2e/support/globalSetup.ts',
			globalTeardown: '<rootDir>/test/e2e/support/globalTeardown.ts',
		},
	],
};
