import { placeholderPage } from './page-placeholder.js';

export const errorsPage = placeholderPage('/errors', 'Errors', 'The error lists.');
