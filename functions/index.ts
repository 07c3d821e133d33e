/**
 * Entry point (package.json `main`): importing a module registers its functions with the host.
 * Every function module must be listed here, or it silently does not exist at runtime.
 */
import './health';
import './orders';
import './errors';
import './meter';
import './events';
import './products';
import './policies';
import './states';
import './sources';
import './inventory';
import './inventory-atp';
import './inventory-imports';
import './inventory-holds';
import './source-lists';
import './fulfillment';
import './returns';
