export type { EventStoreCapabilities } from "./append-cases.js";
export { describeCheckpointStoreContract } from "./checkpoint-store-contract.js";
export { describeEventStoreContract } from "./event-store-contract.js";
export {
  collect,
  newEvent,
  newEvents,
  readAllAfter,
  type Setup,
  uniqueCategory,
  uniqueName,
  uniqueStream,
  waitUntil,
} from "./fixtures.js";
export { describeLocksContract, type LockFaults } from "./locks-contract.js";
export { describeReadModelStoreContract } from "./read-model-store-contract.js";
export { describeServiceStoreContracts, type ServiceStores } from "./service-store-contracts.js";
export { describeStoreContracts, type Stores } from "./store-contracts.js";
