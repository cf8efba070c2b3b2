import base from './playwright.config';
// Local only (not committed): the journeys without the test-clock server, until the API's --test-clock is merged.
const [main] = Array.isArray(base.webServer) ? base.webServer : [base.webServer];
export default { ...base, webServer: main };
