/** The stand-in client, for tests of other packages that run the adapter without a server. */
export { createFakeClient } from "./fake-client.js";
