// Package foreign holds read-only Go types for the kinds of other providers
// that an Instance or SubnetGroup may reference: ec2.aws.upbound.io
// SecurityGroup and Subnet, kms.aws.upbound.io Key and iam.aws.upbound.io
// Role. They carry only what reference resolution reads (metadata, the
// external-name annotation and the atProvider fields references take:
// arn, keyId, id), so objects written by the provider that owns them decode
// into them unchanged. This provider installs no CRD for them and never
// writes them; the kinds are resolved only where their own provider is
// installed.
package foreign
