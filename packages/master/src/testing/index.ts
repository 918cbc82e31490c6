/** Test helpers for cross-package tests (test/ at the repository root) and benchmarks. */
export { startTestMaster, TEST_PASSWORD, type TestMaster } from "./test-master.js";
export { DATABASES, openTestStore, TEST_POSTGRES_URL, type DatabaseKind } from "./test-store.js";
export { makeCertificate, type TestCertificate } from "./pki.js";
export { EDGE_CONFIG, httpConfig, largeConfig } from "./fixtures.js";
