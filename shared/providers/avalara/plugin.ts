import type { ProviderPlugin } from '../../ports/provider-plugins';
import { avalaraDefinition } from './definition';
import { calculateTax, commitTax, voidTax } from './tax-actions';

/** The built-in Avalara AvaTax provider: tax actions for journey steps. */
export const avalaraPlugin: ProviderPlugin = {
  definition: avalaraDefinition,
  actions: { calculateTax, commitTax, voidTax },
};
