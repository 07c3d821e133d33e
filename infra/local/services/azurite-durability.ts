/**
 * Imported by the Azurite entry before Azurite itself: its databases must be created by a patched
 * Loki. `FUNCTIONS_HOST_DURABILITY=none` leaves Azurite as it ships (for measuring the journal's cost).
 */
import { durabilityFrom, installLokiJournal } from './loki-journal';

if (durabilityFrom(process.env.FUNCTIONS_HOST_DURABILITY) === 'journal') installLokiJournal();
