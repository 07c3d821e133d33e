import Module from 'module';
import type { CoreApi } from './core-types';

const coreModuleName = '@azure/functions-core';

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: ModuleLoad };

/**
 * In Azure the Node worker answers `require('@azure/functions-core')`; without it `@azure/functions`
 * falls back to a test mode that registers nothing. The local host answers it instead, so every
 * `app.*` and `df.app.*` registration reaches the host unchanged. Returns a function that undoes it.
 */
export function installCoreApi(coreApi: CoreApi): () => void {
  const originalLoad = moduleWithLoad._load;
  moduleWithLoad._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
    if (request === coreModuleName) return coreApi;
    return originalLoad.call(this, request, parent, isMain);
  };
  return () => {
    moduleWithLoad._load = originalLoad;
  };
}
