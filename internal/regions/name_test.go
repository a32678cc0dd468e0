package regions

import "testing"

func TestValidName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"us-east-1": true, "us-gov-west-1": true, "ap-southeast-7": true, "eu-central-2": true,
		"": false, "us-east": false, "us-east-10": false, "US-EAST-1": false, "us-east-1a": false,
		"useast-1": false, " us-east-1": false, "us-east-1\n": false,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
	// Every listed region has the shape.
	if len(Known) == 0 {
		t.Fatal("Known is empty")
	}
	for name := range Known {
		if !ValidName(name) {
			t.Errorf("known region %q fails ValidName", name)
		}
	}
}

func TestValidZone(t *testing.T) {
	t.Parallel()
	for zone, want := range map[string]bool{
		"us-east-1a": true, "us-gov-west-1b": true, "us-east-1": false, "us-east-1A": false,
		"us-east-1ab": false, "a": false, "": false, "us-east-1-": false,
	} {
		if got := ValidZone(zone); got != want {
			t.Errorf("ValidZone(%q) = %v, want %v", zone, got, want)
		}
	}
}
