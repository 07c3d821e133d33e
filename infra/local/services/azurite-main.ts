/**
 * Process entry that runs Azurite (its own CLI, same flags) and stops it gracefully when the
 * supervising process disappears, so a `kill -9` of the host leaves no Azurite holding ports.
 * Azurite saves its metadata on SIGTERM, hence the signal rather than an exit.
 */
// Azurite's CLI starts on import and reads its flags from process.argv, which has the same shape here.
import './ignore-closed-output';
import './azurite-durability';
import 'azurite/dist/src/azurite.js';
import { watchParent } from './parent-watch';

watchParent(() => process.kill(process.pid, 'SIGTERM'));
