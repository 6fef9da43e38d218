package kubectlrds

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

func TestImportedManifest(t *testing.T) {
	db := types.DBInstance{
		DBInstanceIdentifier: aws.String("orders"), DBInstanceStatus: aws.String("available"), Engine: aws.String("postgres"),
		EngineVersion: aws.String("16.3"), DBInstanceClass: aws.String("db.t3.micro"), AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("app"),
	}
	cases := map[string]struct {
		opts importOptions
		want []string
		not  []string
	}{
		"ClusterScopedInAnOlderVersion": {
			opts: importOptions{region: "eu-west-1", apiVersion: "rds.aws.upbound.io/v1beta1", providerConfig: "default"},
			want: []string{
				"apiVersion: rds.aws.upbound.io/v1beta1\n", "kind: Instance\n", "crossplane.io/external-name: orders",
				"rds.aws.upbound.io/applied-password-version: imported", "deletionPolicy: Orphan",
				"name: orders-master-password", "namespace: crossplane-system", "instanceClass: db.t3.micro",
			},
			not: []string{"status:", "creationTimestamp"},
		},
		"Namespaced": {
			opts: importOptions{region: "eu-west-1", namespace: "team-a", providerConfig: "team-a", providerConfigKind: "ProviderConfig"},
			want: []string{
				"apiVersion: rds.aws.m.upbound.io/v1beta1\n", "namespace: team-a", "kind: ProviderConfig",
				"managementPolicies:\n  - Observe\n  - Create\n  - Update\n  - LateInitialize\n",
			},
			not: []string{"deletionPolicy", "Delete\n"},
		},
		"AllowDelete": {
			opts: importOptions{region: "eu-west-1", providerConfig: "default", allowDelete: true},
			want: []string{"apiVersion: rds.aws.upbound.io/v1beta3\n"},
			not:  []string{"deletionPolicy: Orphan"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			doc, err := tc.opts.finish(tc.opts.instance(db, "crossplane-system"), passwordComment(tc.opts.instance(db, "crossplane-system"), db))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := writeDocs([]importedDoc{doc}, "", &b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !strings.HasPrefix(out, "# Imported by kubectl rds import") || !strings.Contains(out, "The master password was not read") {
				t.Errorf("want the comments on top, got:\n%s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("want %q in:\n%s", w, out)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("want no %q in:\n%s", n, out)
				}
			}
		})
	}
}
