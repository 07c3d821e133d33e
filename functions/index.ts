/**
 * Entry point (package.json `main`): importing a module registers its functions with the host.
 * Every function module must be listed here, or it silently does not exist at runtime.
 */
import './health';
import './orders';
import './intake';
import './intake-service-bus';
import './errors';
import './intake-poison';
import './meter';
import './events';
import './products';
import './policies';
import './policy-lifecycle';
import './journeys';
import './states';
import './sources';
import './inventory';
import './inventory-allocation';
import './inventory-measures';
import './inventory-schedules';
import './inventory-atp';
import './inventory-imports';
import './inventory-holds';
import './source-lists';
import './fulfillment-strategies';
import './fulfillment';
import './fulfillment-orders';
import './returns';
import './journey-runtime';
import './order-operations';
import './email';
import './email-delivery';
import './invoices';
import './alerts';
import './providers';
import './mapping-groups';
import './transformations';
import './configuration';
import './provider-webhooks';
import './provider-inbound';
import './provider-polling';
import './order-imports';
import './purchasing';
import './purchase-order-imports';
import './master-data';
