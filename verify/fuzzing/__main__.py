from verify.fuzzing import main

raise SystemExit(main())
