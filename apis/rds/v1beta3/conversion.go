package v1beta3

// Hub marks v1beta3 as the version the others convert through: the storage
// version, and the one the controller reconciles.
func (*Instance) Hub() {}
