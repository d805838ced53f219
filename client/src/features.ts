import { ClientFeature } from './clientContext';

/** Every client feature, registered once at activation. */
export const CLIENT_FEATURES: ClientFeature[] = [];
