export { waitFor } from '../../infra/local/test/support/wait-for';
