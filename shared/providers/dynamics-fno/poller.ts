import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import type {
  OrderPoller,
  PolledMessage,
  PolledPage,
  PollPosition,
  ProviderConnection,
  ProviderHttp,
} from '../../ports/provider-plugins';
import { jsonArrayItems } from '../common/json-items';
import { dataAreaId, odata, odataQuery, odataString } from './odata';

export const fnoStatusMessageType = 'salesOrderStatus';

/** The sales order statuses that are news for a fulfillment order (SalesStatus enum values). */
const reportedStatuses = ['Delivered', 'Invoiced', 'Canceled'];

interface SalesOrderHeader {
  SalesOrderNumber?: unknown;
  SalesOrderStatus?: unknown;
  dataAreaId?: unknown;
}

/**
 * Reads `SalesOrderHeadersV2` of the company for orders we exported (CustomersOrderReference set)
 * that reached a status worth reporting, one `salesOrderStatus` message per order and status
 * (message id `{dataAreaId}:{SalesOrderNumber}@{status}`, so a status is taken once). Pages come as
 * F&O serves them: `Prefer: odata.maxpagesize` asks for `pageSize` rows and `@odata.nextLink` is the
 * cursor; 429 + Retry-After is waited out by the HTTP client.
 *
 * With `modifiedDateField` set (a date-time field of the entity that F&O updates on change, which
 * the standard entity does not confirm; add one through an extension if needed), a run reads the
 * window (since, until] of that field, ordered by it. Without it every run reads all reported
 * orders again and the message ids drop the repeats, which is fine for a few thousand orders only.
 */
export const fnoStatusPoller: OrderPoller = {
  async nextPage(
    connection: ProviderConnection,
    position: PollPosition,
    http: ProviderHttp,
    now: Date
  ): Promise<PolledPage> {
    const field = String(connection.parameters.modifiedDateField ?? '');
    const until = position.until ?? new Date(now.getTime() - 1000).toISOString();
    const pageSize = Number(connection.parameters.pageSize ?? 1000);
    let pathAndQuery = position.cursor;
    if (pathAndQuery === undefined) {
      const statuses = reportedStatuses
        .map((status) => `SalesOrderStatus eq Microsoft.Dynamics.DataEntities.SalesStatus'${status}'`)
        .join(' or ');
      const filters = [
        `dataAreaId eq ${odataString(dataAreaId(connection))}`,
        "CustomersOrderReference ne ''",
        `(${statuses})`,
      ];
      if (field !== '') {
        if (position.since !== undefined) filters.push(`${field} gt ${position.since}`);
        filters.push(`${field} le ${until}`);
      }
      pathAndQuery = `/data/SalesOrderHeadersV2?${odataQuery({
        $filter: filters.join(' and '),
        ...(field === '' ? { $orderby: 'SalesOrderNumber' } : { $orderby: `${field},SalesOrderNumber` }),
        'cross-company': 'true',
      })}`;
    }
    const response = await odata(connection, http, now, {
      pathAndQuery,
      headers: { Prefer: `odata.maxpagesize=${pageSize}` },
    });
    const answer = parseJsonLossless(response.text) as { '@odata.nextLink'?: unknown };
    const messages: PolledMessage[] = jsonArrayItems(response.text, 'value').map((text) => {
      const header = parseJsonLossless(text) as SalesOrderHeader;
      return {
        messageType: fnoStatusMessageType,
        messageId: `${String(header.dataAreaId)}:${String(header.SalesOrderNumber)}@${String(header.SalesOrderStatus)}`,
        text,
      };
    });
    const next = answer['@odata.nextLink'];
    const keep =
      field === '' ? {} : { until, ...(position.since === undefined ? {} : { since: position.since }) };
    if (typeof next === 'string' && next !== '' && messages.length > 0) {
      return { messages, position: { ...keep, cursor: next } };
    }
    return { messages, position: field === '' ? {} : { since: until } };
  },
};
