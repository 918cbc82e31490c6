/** Path of the HAProxy binary the tests run. */
export declare const HAPROXY: string;
/** A throw-away self-signed certificate and key in one PEM. */
export declare function testPem(): string;
/** Files the test configurations refer to (certificates, error pages, maps). */
export declare function bundleFiles(): Record<string, string>;
/** Runs `haproxy -c` on a configuration in a fresh directory holding `files`. */
export declare function checkWithHaproxy(
  config: string,
  files?: Record<string, string>,
  options?: { fromElsewhere?: boolean },
): { valid: boolean; status: number | null; output: string };
/** The text of a configuration kept under testdata/. */
export declare function testConfig(name: string): string;
/** Small deterministic PRNG (mulberry32) returning numbers in [0, 1). */
export declare function prng(seed: number): () => number;
