package dbmodes

import "testing"

func TestPort(t *testing.T) {
	t.Parallel()
	for engine, want := range map[string]int{EnginePostgres: 5432, EngineAuroraPostgreSQL: 5432, EngineAuroraMySQL: 3306} {
		if got := Port(engine); got != want {
			t.Errorf("Port(%q) = %d, want %d", engine, got, want)
		}
	}
}

func TestModeValues(t *testing.T) {
	t.Parallel()
	got := ModeValues()
	if len(got) != 4 {
		t.Fatalf("ModeValues() = %v, want 4 modes", got)
	}
	for _, m := range got {
		if _, err := ObjectivesFor(m); err != nil {
			t.Errorf("mode %q has no objectives: %v", m, err)
		}
	}
	got[0] = "changed"
	if ModeValues()[0] != ModeRDS {
		t.Error("ModeValues returns shared storage")
	}
}
