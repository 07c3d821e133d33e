import { ValidationError } from '../errors';

export interface AccountAddress {
  /** What the address is for, e.g. `billing` or `shipping`; at most one address per purpose. */
  purpose?: string;
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode: string;
  country: string;
}

/** A customer account as imported (`account:{accountId}` in the catalog). */
export interface AccountInput {
  accountId: string;
  name: string;
  email?: string;
  phone?: string;
  /** ISO 4217 code the account is billed in. */
  currency?: string;
  /** The price list the account buys from. */
  priceListId?: string;
  addresses?: AccountAddress[];
}

export interface Account extends AccountInput {
  createdAt: string;
  updatedAt: string;
}

/** The account `input` describes, replacing `existing` (its createdAt kept); the schema has passed. */
export function accountFromInput(input: AccountInput, existing: Account | undefined, now: Date): Account {
  const purposes = new Map<string, number>();
  const issues = (input.addresses ?? []).flatMap((address, index) => {
    if (address.purpose === undefined) return [];
    const earlier = purposes.get(address.purpose);
    purposes.set(address.purpose, index);
    return earlier === undefined
      ? []
      : [{ path: `/addresses/${index}/purpose`, message: `repeats the purpose of address ${earlier}` }];
  });
  if (issues.length > 0) throw new ValidationError('The account is not valid.', issues);
  const at = now.toISOString();
  return {
    accountId: input.accountId,
    name: input.name,
    ...(input.email === undefined ? {} : { email: input.email }),
    ...(input.phone === undefined ? {} : { phone: input.phone }),
    ...(input.currency === undefined ? {} : { currency: input.currency }),
    ...(input.priceListId === undefined ? {} : { priceListId: input.priceListId }),
    ...(input.addresses === undefined ? {} : { addresses: input.addresses.map((a) => ({ ...a })) }),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}
