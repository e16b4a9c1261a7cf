"""Organisation views, by feature: the public directory and profiles (``directory``), and
registering and managing an organisation (``manage``), facilitating a network group
(``groups``)."""
