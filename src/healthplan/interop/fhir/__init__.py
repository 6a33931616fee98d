"""FHIR R4 facility registry (IHE mCSD): the registry as Organization/Location resources, both ways."""
