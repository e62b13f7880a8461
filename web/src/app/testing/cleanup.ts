const steps: (() => void)[] = [];

/** Something to undo once the test is over, by `cleanup`. */
export function afterTest(step: () => void): void {
  steps.push(step);
}

/** For `afterEach`: undoes what the test set up, latest first, so no test sees another's components or listeners. */
export function cleanup(): void {
  for (const step of steps.splice(0).reverse()) step();
}
