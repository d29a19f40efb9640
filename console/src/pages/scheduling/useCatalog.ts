/** The tenant's locations, services, staff and resources, loaded together: every appointment page names them. */
import { api } from '../../api/client';
import { useQuery } from '../shared/useQuery';
import type { List, Location, Resource, Service, StaffMember } from './types';

export interface Catalog {
  locations: Location[];
  services: Service[];
  staff: StaffMember[];
  resources: Resource[];
}

export const CATALOG_PATHS = { locations: '/v1/locations', services: '/v1/services', staff: '/v1/staff', resources: '/v1/resources' } as const;

export function useCatalog() {
  return useQuery<Catalog>(async () => {
    const [locations, services, staff, resources] = await Promise.all([
      api.get<List<Location>>(CATALOG_PATHS.locations),
      api.get<List<Service>>(CATALOG_PATHS.services),
      api.get<List<StaffMember>>(CATALOG_PATHS.staff),
      api.get<List<Resource>>(CATALOG_PATHS.resources),
    ]);
    return { locations: locations.items, services: services.items, staff: staff.items, resources: resources.items };
  }, []);
}

/** The timezone the calendar shows: the location of the chosen staff member or resource, else the first location's. */
export function zoneOf(catalog: Catalog | undefined, locationId?: string | null): string {
  const loc = catalog?.locations.find((l) => l.id === locationId) ?? catalog?.locations[0];
  return loc?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}
