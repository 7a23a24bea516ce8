; Inno Setup script for Sosku Desktop. On a Windows runner:
;   .venv\Scripts\pyinstaller installer\sosku.spec
;   iscc installer\windows\sosku.iss
[Setup]
AppName=Sosku Desktop
AppVersion=0.1.0
DefaultDirName={autopf}\Sosku Desktop
DefaultGroupName=Sosku Desktop
OutputBaseFilename=sosku-desktop-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=lowest

[Languages]
Name: "fi"; MessagesFile: "compiler:Languages\Finnish.isl"
Name: "sv"; MessagesFile: "compiler:Languages\Swedish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\sosku\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Sosku"; Filename: "{app}\sosku.exe"
Name: "{autodesktop}\Sosku"; Filename: "{app}\sosku.exe"
