import type {
  CoreApi,
  Disposable,
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookName,
  ProgrammingModel,
  RpcBindingInfo,
  RpcLogLevel,
} from './core-types';

export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  triggerName: string;
  trigger: RpcBindingInfo;
}

class CallbackDisposable implements Disposable {
  #callOnDispose: (() => unknown) | undefined;
  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }
  dispose(): void {
    this.#callOnDispose?.();
    this.#callOnDispose = undefined;
  }
}

export class DuplicateFunctionError extends Error {}

/** What the app registered through `@azure/functions-core`: functions, hooks, the programming model. */
export class FunctionRegistry {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>();
  #programmingModel: ProgrammingModel | undefined;

  constructor(private readonly systemLog: (level: RpcLogLevel, message: string) => void) {}

  get programmingModel(): ProgrammingModel {
    if (!this.#programmingModel) {
      throw new Error('The app set no programming model: is @azure/functions installed and imported?');
    }
    return this.#programmingModel;
  }

  hooksOf(name: HookName): HookCallback[] {
    return this.hooks.get(name) ?? [];
  }

  /** The object `require('@azure/functions-core')` returns inside the local host. */
  coreApi(): CoreApi {
    return {
      version: '3.10.1',
      hostVersion: '4.1000.0',
      setProgrammingModel: (model) => {
        this.#programmingModel = model;
      },
      getProgrammingModel: () => this.programmingModel,
      registerFunction: (metadata, callback) => this.#registerFunction(metadata, callback),
      registerHook: (name, callback) => {
        const list = this.hooks.get(name) ?? [];
        list.push(callback);
        this.hooks.set(name, list);
        return new CallbackDisposable(() => list.splice(list.indexOf(callback), 1));
      },
      log: (level, _category, message) => this.systemLog(level, message),
      Disposable: CallbackDisposable,
    };
  }

  #registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.functions.has(metadata.name.toLowerCase())) {
      throw new DuplicateFunctionError(`A function named "${metadata.name}" is already registered.`);
    }
    const trigger = Object.entries(metadata.bindings).find(([, b]) =>
      b.type?.toLowerCase().endsWith('trigger')
    );
    if (!trigger) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    const [triggerName, triggerBinding] = trigger;
    const key = metadata.name.toLowerCase();
    this.functions.set(key, {
      name: metadata.name,
      metadata,
      callback,
      triggerName,
      trigger: triggerBinding,
    });
    return new CallbackDisposable(() => this.functions.delete(key));
  }
}
